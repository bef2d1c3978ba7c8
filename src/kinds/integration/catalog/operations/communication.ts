import type { HttpOperationsInput } from '../schema.js';

/**
 * Operations of the messaging APIs. Paths, fields and error shapes are from the services' public
 * API references as known, not checked here: UNVERIFIED unless marked otherwise.
 */

const message = { sid: 'string!', status: 'string!', to: 'string', from: 'string' };

export const twilioOperations: HttpOperationsInput = {
  healthCheck: 'getAccount',
  // Twilio has no idempotency key: a message or call is never retried after a timeout or a 5xx.
  errors: { code: 'code', message: 'message' },
  operations: [
    {
      name: 'sendMessage',
      method: 'POST',
      path: '/Accounts/{TWILIO_ACCOUNT_SID}/Messages.json',
      description: 'Send an SMS or MMS',
      request: { To: 'string!', From: 'string', MessagingServiceSid: 'string', Body: 'string', MediaUrl: 'string', StatusCallback: 'string' },
      response: message,
      example: { To: '+15005550006', From: '+15005550001', Body: 'Your verification code is 482913' },
      exampleResponse: { sid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f', status: 'queued', to: '+15005550006', from: '+15005550001' },
    },
    {
      name: 'getMessage',
      method: 'GET',
      path: '/Accounts/{TWILIO_ACCOUNT_SID}/Messages/{sid}.json',
      description: 'Fetch a message and its delivery status',
      request: { sid: 'string!' },
      response: message,
      example: { sid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f' },
      exampleResponse: { sid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f', status: 'delivered', to: '+15005550006', from: '+15005550001' },
    },
    {
      name: 'startCall',
      method: 'POST',
      path: '/Accounts/{TWILIO_ACCOUNT_SID}/Calls.json',
      description: 'Start a voice call',
      request: { To: 'string!', From: 'string!', Url: 'string', Twiml: 'string', StatusCallback: 'string' },
      response: { sid: 'string!', status: 'string!' },
      example: { To: '+15005550006', From: '+15005550001', Url: 'https://example.com/twiml/welcome.xml' },
      exampleResponse: { sid: 'CA42ed11f93dc08b952027ffbc406d0868', status: 'queued' },
    },
    {
      name: 'getAccount',
      method: 'GET',
      path: '/Accounts/{TWILIO_ACCOUNT_SID}.json',
      description: 'Fetch the account (the health check)',
      response: { sid: 'string!', status: 'string!' },
      exampleResponse: { sid: 'AC00000000000000000000000000000000', status: 'active', friendly_name: 'My account' },
    },
  ],
};

export const sendgridOperations: HttpOperationsInput = {
  healthCheck: 'getScopes',
  errors: { message: 'errors.0.message' },
  operations: [
    {
      name: 'sendMail',
      method: 'POST',
      path: '/mail/send',
      description: 'Send an email (answered 202 with an empty body)',
      request: { personalizations: 'object[]!', from: 'object!', subject: 'string', content: 'object[]', template_id: 'string' },
      response: {},
      example: {
        personalizations: [{ to: [{ email: 'ada@example.com' }] }],
        from: { email: 'no-reply@example.com' },
        subject: 'Your receipt',
        content: [{ type: 'text/plain', value: 'Thank you for your order.' }],
      },
      exampleResponse: {},
    },
    {
      name: 'listBounces',
      method: 'GET',
      path: '/suppression/bounces',
      description: 'List bounced addresses',
      request: { limit: 'integer', offset: 'integer' },
      response: { email: 'string!', reason: 'string' },
      array: true,
      example: { limit: 50 },
      exampleResponse: { email: 'bounced@example.com', reason: '550 5.1.1 The email account does not exist', created: 1700000000 },
    },
    {
      name: 'getScopes',
      method: 'GET',
      path: '/scopes',
      description: 'List the scopes of the API key (the health check)',
      response: { scopes: 'string[]!' },
      exampleResponse: { scopes: ['mail.send'] },
    },
  ],
};

export const mailgunOperations: HttpOperationsInput = {
  healthCheck: 'getDomain',
  errors: { message: 'message' },
  operations: [
    {
      name: 'sendMessage',
      method: 'POST',
      path: '/{MAILGUN_DOMAIN}/messages',
      description: 'Send a message',
      request: { from: 'string!', to: 'string!', subject: 'string!', text: 'string', html: 'string' },
      response: { id: 'string!', message: 'string!' },
      example: { from: 'Example <no-reply@example.com>', to: 'ada@example.com', subject: 'Your receipt', text: 'Thank you for your order.' },
      exampleResponse: { id: '<20231120.1@example.com>', message: 'Queued. Thank you.' },
    },
    {
      name: 'listEvents',
      method: 'GET',
      path: '/{MAILGUN_DOMAIN}/events',
      description: 'List delivery events',
      request: { event: 'string', limit: 'integer' },
      response: { items: 'object[]!' },
      example: { event: 'failed', limit: 50 },
      exampleResponse: { items: [], paging: {} },
    },
    {
      name: 'getDomain',
      method: 'GET',
      path: '/domains/{MAILGUN_DOMAIN}',
      description: 'Get the sending domain (the health check)',
      response: { domain: 'object!' },
      exampleResponse: { domain: { name: 'mg.example.com', state: 'active' } },
    },
  ],
};

export const slackOperations: HttpOperationsInput = {
  healthCheck: 'authTest',
  // Slack answers HTTP 200 with { ok: false, error } on failure.
  errors: { code: 'error', okFalse: true, confidence: 'doc-excerpt' },
  operations: [
    {
      name: 'postMessage',
      method: 'POST',
      path: '/chat.postMessage',
      description: 'Post a message to a channel',
      request: { channel: 'string!', text: 'string', blocks: 'object[]', thread_ts: 'string' },
      response: { ok: 'boolean!', channel: 'string', ts: 'string' },
      example: { channel: 'C0123456789', text: 'Deploy finished: v1.4.2 is live' },
      exampleResponse: { ok: true, channel: 'C0123456789', ts: '1503435956.000247' },
    },
    {
      name: 'updateMessage',
      method: 'POST',
      path: '/chat.update',
      description: 'Update a message',
      request: { channel: 'string!', ts: 'string!', text: 'string', blocks: 'object[]' },
      response: { ok: 'boolean!', channel: 'string', ts: 'string' },
      example: { channel: 'C0123456789', ts: '1503435956.000247', text: 'Deploy finished: v1.4.2 is live (verified)' },
      exampleResponse: { ok: true, channel: 'C0123456789', ts: '1503435956.000247' },
      sideEffect: false,
    },
    {
      name: 'listConversations',
      method: 'GET',
      path: '/conversations.list',
      description: 'List channels',
      request: { limit: 'integer', cursor: 'string', types: 'string' },
      response: { ok: 'boolean!', channels: 'object[]!' },
      example: { limit: 100 },
      exampleResponse: { ok: true, channels: [{ id: 'C0123456789', name: 'deploys' }] },
    },
    {
      name: 'authTest',
      method: 'POST',
      path: '/auth.test',
      description: 'Check the token (the health check)',
      response: { ok: 'boolean!', team_id: 'string', user_id: 'string' },
      exampleResponse: { ok: true, team_id: 'T12345', user_id: 'U12345' },
      sideEffect: false,
    },
  ],
};

export const discordOperations: HttpOperationsInput = {
  healthCheck: 'getCurrentUser',
  errors: { code: 'code', message: 'message' },
  operations: [
    {
      name: 'createMessage',
      method: 'POST',
      path: '/channels/{channel_id}/messages',
      description: 'Post a message to a channel',
      request: { channel_id: 'string!', content: 'string', embeds: 'object[]' },
      response: { id: 'string!', channel_id: 'string!', content: 'string' },
      example: { channel_id: '1100000000000000000', content: 'Deploy finished: v1.4.2 is live' },
      exampleResponse: { id: '1100000000000000001', channel_id: '1100000000000000000', content: 'Deploy finished: v1.4.2 is live' },
    },
    {
      name: 'editMessage',
      method: 'PATCH',
      path: '/channels/{channel_id}/messages/{message_id}',
      description: 'Edit a message',
      request: { channel_id: 'string!', message_id: 'string!', content: 'string' },
      response: { id: 'string!', channel_id: 'string!', content: 'string' },
      example: { channel_id: '1100000000000000000', message_id: '1100000000000000001', content: 'Deploy finished: v1.4.2 is live (verified)' },
      exampleResponse: { id: '1100000000000000001', channel_id: '1100000000000000000', content: 'Deploy finished: v1.4.2 is live (verified)' },
    },
    {
      name: 'getChannel',
      method: 'GET',
      path: '/channels/{channel_id}',
      description: 'Get a channel',
      request: { channel_id: 'string!' },
      response: { id: 'string!', type: 'integer!', name: 'string' },
      example: { channel_id: '1100000000000000000' },
      exampleResponse: { id: '1100000000000000000', type: 0, name: 'deploys' },
    },
    {
      name: 'getCurrentUser',
      method: 'GET',
      path: '/users/@me',
      description: 'Get the bot user (the health check)',
      response: { id: 'string!', username: 'string!' },
      exampleResponse: { id: '1100000000000000002', username: 'deploy-bot' },
    },
  ],
};
