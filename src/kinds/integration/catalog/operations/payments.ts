import type { HttpOperationsInput } from '../schema.js';

/**
 * Operations of the payment APIs. Paths, fields and error shapes are from the services' public
 * API references as known, not checked here: UNVERIFIED unless marked otherwise.
 */

const paymentIntent = { id: 'string!', status: 'string!', amount: 'integer!', currency: 'string!', client_secret: 'string' };
const intentExample = { id: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', object: 'payment_intent', status: 'requires_payment_method', amount: 2000, currency: 'usd', client_secret: 'pi_3MtwBw_secret_YrKJUKribcBjcG8HVhfZluoGH' };

export const stripeOperations: HttpOperationsInput = {
  healthCheck: 'getBalance',
  idempotency: { header: 'Idempotency-Key' },
  errors: { code: 'error.code', message: 'error.message' },
  operations: [
    {
      name: 'createPaymentIntent',
      method: 'POST',
      path: '/payment_intents',
      description: 'Create a payment intent',
      request: { amount: 'integer!', currency: 'string!', customer: 'string', description: 'string', receipt_email: 'string' },
      response: paymentIntent,
      example: { amount: 2000, currency: 'usd', description: 'Order #1042' },
      exampleResponse: intentExample,
    },
    {
      name: 'getPaymentIntent',
      method: 'GET',
      path: '/payment_intents/{id}',
      description: 'Retrieve a payment intent',
      request: { id: 'string!' },
      response: paymentIntent,
      example: { id: 'pi_3MtwBwLkdIwHu7ix28a3tqPa' },
      exampleResponse: intentExample,
    },
    {
      name: 'confirmPaymentIntent',
      method: 'POST',
      path: '/payment_intents/{id}/confirm',
      description: 'Confirm a payment intent',
      request: { id: 'string!', payment_method: 'string' },
      response: paymentIntent,
      example: { id: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', payment_method: 'pm_card_visa' },
      exampleResponse: { ...intentExample, status: 'succeeded' },
    },
    {
      name: 'createCustomer',
      method: 'POST',
      path: '/customers',
      description: 'Create a customer',
      request: { email: 'string', name: 'string', description: 'string' },
      response: { id: 'string!', email: 'string' },
      example: { email: 'jenny.rosen@example.com', name: 'Jenny Rosen' },
      exampleResponse: { id: 'cus_NffrFeUfNV2Hib', object: 'customer', email: 'jenny.rosen@example.com' },
    },
    {
      name: 'createRefund',
      method: 'POST',
      path: '/refunds',
      description: 'Refund a payment intent, in whole or in part',
      request: { payment_intent: 'string!', amount: 'integer', reason: 'string' },
      response: { id: 'string!', status: 'string!', amount: 'integer!' },
      example: { payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', amount: 500 },
      exampleResponse: { id: 're_1Nispe2eZvKYlo2Cd31jOCgZ', object: 'refund', status: 'succeeded', amount: 500 },
    },
    {
      name: 'getBalance',
      method: 'GET',
      path: '/balance',
      description: 'Retrieve the account balance (the health check)',
      response: { available: 'object[]!', pending: 'object[]!' },
      exampleResponse: { object: 'balance', available: [{ amount: 0, currency: 'usd' }], pending: [{ amount: 0, currency: 'usd' }] },
    },
  ],
};

const order = { id: 'string!', status: 'string!', links: 'object[]' };

export const paypalOperations: HttpOperationsInput = {
  healthCheck: 'listWebhooks',
  idempotency: { header: 'PayPal-Request-Id' },
  errors: { code: 'name', message: 'message' },
  operations: [
    {
      name: 'createOrder',
      method: 'POST',
      path: '/v2/checkout/orders',
      description: 'Create an order',
      request: { intent: 'string!', purchase_units: 'object[]!' },
      response: order,
      example: { intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: '10.00' } }] },
      exampleResponse: { id: '5O190127TN364715T', status: 'CREATED', links: [] },
    },
    {
      name: 'getOrder',
      method: 'GET',
      path: '/v2/checkout/orders/{id}',
      description: 'Show an order',
      request: { id: 'string!' },
      response: order,
      example: { id: '5O190127TN364715T' },
      exampleResponse: { id: '5O190127TN364715T', status: 'APPROVED', links: [] },
    },
    {
      name: 'captureOrder',
      method: 'POST',
      path: '/v2/checkout/orders/{id}/capture',
      description: 'Capture the payment of an approved order',
      request: { id: 'string!' },
      response: order,
      example: { id: '5O190127TN364715T' },
      exampleResponse: { id: '5O190127TN364715T', status: 'COMPLETED', links: [] },
    },
    {
      name: 'refundCapture',
      method: 'POST',
      path: '/v2/payments/captures/{capture_id}/refund',
      description: 'Refund a captured payment',
      request: { capture_id: 'string!', amount: 'object', note_to_payer: 'string' },
      response: { id: 'string!', status: 'string!' },
      example: { capture_id: '2GG279541U471931P', amount: { currency_code: 'USD', value: '5.00' } },
      exampleResponse: { id: '1JU08902781691411', status: 'COMPLETED' },
    },
    {
      name: 'listWebhooks',
      method: 'GET',
      path: '/v1/notifications/webhooks',
      description: 'List the webhooks of the app (the health check)',
      response: { webhooks: 'object[]!' },
      exampleResponse: { webhooks: [] },
    },
  ],
};

export const squareOperations: HttpOperationsInput = {
  healthCheck: 'listLocations',
  idempotency: { bodyField: 'idempotency_key' },
  errors: { code: 'errors.0.code', message: 'errors.0.detail' },
  operations: [
    {
      name: 'createPayment',
      method: 'POST',
      path: '/payments',
      description: 'Create a payment',
      request: { source_id: 'string!', amount_money: 'object!', location_id: 'string', reference_id: 'string' },
      response: { payment: 'object!' },
      example: { source_id: 'cnon:card-nonce-ok', amount_money: { amount: 1000, currency: 'USD' } },
      exampleResponse: { payment: { id: 'R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY', status: 'COMPLETED' } },
    },
    {
      name: 'getPayment',
      method: 'GET',
      path: '/payments/{payment_id}',
      description: 'Get a payment',
      request: { payment_id: 'string!' },
      response: { payment: 'object!' },
      example: { payment_id: 'R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY' },
      exampleResponse: { payment: { id: 'R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY', status: 'COMPLETED' } },
    },
    {
      name: 'refundPayment',
      method: 'POST',
      path: '/refunds',
      description: 'Refund a payment',
      request: { payment_id: 'string!', amount_money: 'object!', reason: 'string' },
      response: { refund: 'object!' },
      example: { payment_id: 'R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY', amount_money: { amount: 500, currency: 'USD' } },
      exampleResponse: { refund: { id: 'R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY_refund', status: 'PENDING' } },
    },
    {
      name: 'createCustomer',
      method: 'POST',
      path: '/customers',
      description: 'Create a customer',
      request: { given_name: 'string', family_name: 'string', email_address: 'string' },
      response: { customer: 'object!' },
      example: { given_name: 'Amelia', family_name: 'Earhart', email_address: 'amelia@example.com' },
      exampleResponse: { customer: { id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4' } },
    },
    {
      name: 'listLocations',
      method: 'GET',
      path: '/locations',
      description: 'List the seller locations (the health check)',
      response: { locations: 'object[]' },
      exampleResponse: { locations: [{ id: 'L88917AVBK2S5' }] },
    },
  ],
};

export const coinbaseCommerceOperations: HttpOperationsInput = {
  healthCheck: 'listEvents',
  errors: { code: 'error.type', message: 'error.message' },
  operations: [
    {
      name: 'createCharge',
      method: 'POST',
      path: '/charges',
      description: 'Create a charge',
      request: { name: 'string!', description: 'string!', pricing_type: 'string!', local_price: 'object', metadata: 'object' },
      response: { data: 'object!' },
      example: { name: 'The Human Fund', description: 'Money for people', pricing_type: 'fixed_price', local_price: { amount: '100.00', currency: 'USD' } },
      exampleResponse: { data: { id: 'f765421f-2f5a-4e65-a94c-d3c4c0f0c7f5', code: '66BEOV2A' } },
    },
    {
      name: 'getCharge',
      method: 'GET',
      path: '/charges/{code_or_id}',
      description: 'Retrieve a charge',
      request: { code_or_id: 'string!' },
      response: { data: 'object!' },
      example: { code_or_id: '66BEOV2A' },
      exampleResponse: { data: { id: 'f765421f-2f5a-4e65-a94c-d3c4c0f0c7f5', code: '66BEOV2A' } },
    },
    {
      name: 'listCharges',
      method: 'GET',
      path: '/charges',
      description: 'List charges',
      request: { limit: 'integer' },
      response: { data: 'object[]!' },
      example: { limit: 25 },
      exampleResponse: { data: [] },
    },
    {
      name: 'listEvents',
      method: 'GET',
      path: '/events',
      description: 'List events (the health check)',
      response: { data: 'object[]!' },
      exampleResponse: { data: [] },
    },
  ],
};
