import type { HttpOperationsInput } from '../schema.js';

/**
 * Operations of GitHub's REST API and Shopify's Admin GraphQL API. Paths, fields and error shapes
 * are from the services' public API references as known, not checked here: UNVERIFIED.
 */

const repo = { owner: 'string!', repo: 'string!' };
const issue = { id: 'integer!', number: 'integer!', html_url: 'string!', state: 'string!' };
const issueExample = { id: 1, number: 1347, html_url: 'https://github.com/octocat/Hello-World/issues/1347', state: 'open', title: 'Found a bug' };

export const githubOperations: HttpOperationsInput = {
  healthCheck: 'getRateLimit',
  errors: { message: 'message' },
  operations: [
    {
      name: 'createIssue',
      method: 'POST',
      path: '/repos/{owner}/{repo}/issues',
      description: 'Create an issue',
      request: { ...repo, title: 'string!', body: 'string', labels: 'string[]', assignees: 'string[]' },
      response: issue,
      example: { owner: 'octocat', repo: 'Hello-World', title: 'Found a bug', body: 'Steps to reproduce: ...', labels: ['bug'] },
      exampleResponse: issueExample,
    },
    {
      name: 'getIssue',
      method: 'GET',
      path: '/repos/{owner}/{repo}/issues/{issue_number}',
      description: 'Get an issue',
      request: { ...repo, issue_number: 'integer!' },
      response: issue,
      example: { owner: 'octocat', repo: 'Hello-World', issue_number: 1347 },
      exampleResponse: issueExample,
    },
    {
      name: 'listPullRequests',
      method: 'GET',
      path: '/repos/{owner}/{repo}/pulls',
      description: 'List pull requests',
      request: { ...repo, state: 'string', per_page: 'integer' },
      response: { id: 'integer!', number: 'integer!', state: 'string!', title: 'string!' },
      array: true,
      example: { owner: 'octocat', repo: 'Hello-World', state: 'open', per_page: 30 },
      exampleResponse: { id: 1, number: 1347, state: 'open', title: 'Amazing new feature' },
    },
    {
      name: 'createPullRequest',
      method: 'POST',
      path: '/repos/{owner}/{repo}/pulls',
      description: 'Open a pull request',
      request: { ...repo, title: 'string!', head: 'string!', base: 'string!', body: 'string', draft: 'boolean' },
      response: { id: 'integer!', number: 'integer!', html_url: 'string!', state: 'string!' },
      example: { owner: 'octocat', repo: 'Hello-World', title: 'Amazing new feature', head: 'octocat:new-feature', base: 'main' },
      exampleResponse: { id: 1, number: 1348, html_url: 'https://github.com/octocat/Hello-World/pull/1348', state: 'open' },
    },
    {
      name: 'createCheckRun',
      method: 'POST',
      path: '/repos/{owner}/{repo}/check-runs',
      description: 'Create a check run (GitHub App tokens only)',
      request: { ...repo, name: 'string!', head_sha: 'string!', status: 'string', conclusion: 'string', output: 'object' },
      response: { id: 'integer!', status: 'string!', html_url: 'string' },
      example: { owner: 'octocat', repo: 'Hello-World', name: 'integration-tests', head_sha: 'ce587453ced02b1526dfb4cb910479d431683101', status: 'in_progress' },
      exampleResponse: { id: 4, status: 'in_progress', html_url: 'https://github.com/octocat/Hello-World/runs/4' },
    },
    {
      name: 'getRateLimit',
      method: 'GET',
      path: '/rate_limit',
      description: 'Get the rate limit status (the health check; it does not count against the limit)',
      response: { resources: 'object!' },
      exampleResponse: { resources: { core: { limit: 5000, remaining: 4999, reset: 1700000000 } } },
    },
  ],
};

export const shopifyOperations: HttpOperationsInput = {
  healthCheck: 'getShop',
  // GraphQL: failures come back as HTTP 200 with an errors array (THROTTLED among them).
  errors: { code: 'errors.0.extensions.code', message: 'errors.0.message', graphql: true },
  operations: [
    {
      name: 'getShop',
      method: 'POST',
      path: '/graphql.json',
      description: 'Read the shop (the health check)',
      graphql: 'query { shop { name myshopifyDomain } }',
      response: { data: 'object!' },
      exampleResponse: { data: { shop: { name: 'Example Shop', myshopifyDomain: 'example.myshopify.com' } } },
      sideEffect: false,
    },
    {
      name: 'listOrders',
      method: 'POST',
      path: '/graphql.json',
      description: 'List recent orders',
      graphql: 'query ($first: Int!) { orders(first: $first, reverse: true) { edges { node { id name displayFinancialStatus } } } }',
      request: { first: 'integer!' },
      response: { data: 'object!' },
      example: { first: 10 },
      exampleResponse: { data: { orders: { edges: [] } } },
      sideEffect: false,
    },
    {
      name: 'createProduct',
      method: 'POST',
      path: '/graphql.json',
      description: 'Create a product',
      graphql: 'mutation ($product: ProductCreateInput!) { productCreate(product: $product) { product { id title } userErrors { field message } } }',
      request: { product: 'object!' },
      response: { data: 'object!' },
      example: { product: { title: 'Cool socks' } },
      exampleResponse: { data: { productCreate: { product: { id: 'gid://shopify/Product/1', title: 'Cool socks' }, userErrors: [] } } },
    },
  ],
};
