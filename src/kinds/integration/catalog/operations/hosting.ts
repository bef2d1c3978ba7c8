import type { HttpOperationsInput } from '../schema.js';

/**
 * Operations of Vercel's and Netlify's REST APIs, from their public references as known, not
 * checked here: UNVERIFIED.
 */

export const vercelOperations: HttpOperationsInput = {
  healthCheck: 'getUser',
  errors: { code: 'error.code', message: 'error.message' },
  operations: [
    {
      name: 'listDeployments',
      method: 'GET',
      path: '/v6/deployments',
      description: 'List deployments',
      request: { projectId: 'string', limit: 'integer', teamId: 'string' },
      response: { deployments: 'object[]!' },
      example: { projectId: 'prj_12HKQaOmR5t5Uy6vdcQsNIiZgHGB', limit: 20 },
      exampleResponse: { deployments: [{ uid: 'dpl_1', url: 'demo.vercel.app', state: 'READY' }] },
    },
    {
      name: 'getDeployment',
      method: 'GET',
      path: '/v13/deployments/{idOrUrl}',
      description: 'Get a deployment',
      request: { idOrUrl: 'string!', teamId: 'string' },
      response: { id: 'string!', url: 'string', readyState: 'string' },
      example: { idOrUrl: 'dpl_89qyp1cskzkLrVicDaZoDbjyHuDJ' },
      exampleResponse: { id: 'dpl_89qyp1cskzkLrVicDaZoDbjyHuDJ', url: 'demo.vercel.app', readyState: 'READY' },
    },
    {
      name: 'listProjects',
      method: 'GET',
      path: '/v9/projects',
      description: 'List projects',
      request: { limit: 'integer', teamId: 'string' },
      response: { projects: 'object[]!' },
      example: { limit: 20 },
      exampleResponse: { projects: [{ id: 'prj_1', name: 'demo' }] },
    },
    {
      name: 'getUser',
      method: 'GET',
      path: '/v2/user',
      description: 'Get the authenticated user (the health check)',
      response: { user: 'object!' },
      exampleResponse: { user: { id: 'u_1', username: 'acme' } },
    },
  ],
};

export const netlifyOperations: HttpOperationsInput = {
  healthCheck: 'getCurrentUser',
  errors: { code: 'code', message: 'message' },
  operations: [
    {
      name: 'listSites',
      method: 'GET',
      path: '/sites',
      description: 'List sites',
      response: { id: 'string!', name: 'string!', url: 'string' },
      array: true,
      exampleResponse: { id: '3970e0fe-8564-4903-9a55-c5f8de49fb8b', name: 'demo', url: 'https://demo.netlify.app' },
    },
    {
      name: 'listSiteDeploys',
      method: 'GET',
      path: '/sites/{site_id}/deploys',
      description: 'List the deploys of a site',
      request: { site_id: 'string!' },
      response: { id: 'string!', state: 'string!' },
      array: true,
      example: { site_id: '3970e0fe-8564-4903-9a55-c5f8de49fb8b' },
      exampleResponse: { id: '5fb0a5e3b8f7e2000825a5d1', state: 'ready' },
    },
    {
      name: 'createSiteBuild',
      method: 'POST',
      path: '/sites/{site_id}/builds',
      description: 'Trigger a build of a site',
      request: { site_id: 'string!', clear_cache: 'boolean' },
      response: { id: 'string!', deploy_id: 'string' },
      example: { site_id: '3970e0fe-8564-4903-9a55-c5f8de49fb8b' },
      exampleResponse: { id: '5fb0a5e3b8f7e2000825a5d2', deploy_id: '5fb0a5e3b8f7e2000825a5d1' },
    },
    {
      name: 'getCurrentUser',
      method: 'GET',
      path: '/user',
      description: 'Get the authenticated user (the health check)',
      response: { id: 'string!' },
      exampleResponse: { id: '5c8e3a2c1f9b0a0001a1b2c3', email: 'ops@example.com' },
    },
  ],
};
