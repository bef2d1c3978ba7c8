import type { ServiceInput } from '../schema.js';

/** AWS Lambda, Google Cloud Storage and Azure Blob Storage: SDK connection modules, no HTTP client. */

const awsCredentials = [
  { name: 'AWS_ACCESS_KEY_ID', description: 'Access key id (omit to use an instance or task role)', secret: false, required: false, use: 'connection', confidence: 'unverified' },
  { name: 'AWS_SECRET_ACCESS_KEY', description: 'Secret access key (omit to use a role)', secret: true, required: false, use: 'connection', confidence: 'unverified' },
] as const;

export const lambda: ServiceInput = {
  id: 'aws-lambda',
  name: 'AWS Lambda',
  className: 'Lambda',
  category: 'cloud',
  kind: 'compute',
  aliases: ['lambda'],
  driver: 'aws-lambda',
  api: { baseUrl: 'https://lambda.{region}.amazonaws.com', confidence: 'unverified' },
  auth: { scheme: 'aws-sigv4', description: 'AWS Signature V4 from the default credential provider chain (environment, shared config, instance role)', confidence: 'unverified' },
  envVars: [
    { name: 'AWS_REGION', description: 'Region of the function', secret: false, use: 'connection', confidence: 'unverified' },
    { name: 'LAMBDA_FUNCTION_NAME', description: 'Function name or ARN to invoke', secret: false, use: 'connection', confidence: 'unverified' },
    { name: 'LAMBDA_ENDPOINT', description: 'Endpoint override (LocalStack)', secret: false, required: false, use: 'connection', confidence: 'unverified' },
    ...awsCredentials,
  ],
  rateLimit: { signals: ['TooManyRequestsException (HTTP 429) when concurrency is exhausted; the SDK retries throttling errors'], retryAfterHeader: false, confidence: 'unverified' },
  sdk: { package: '@aws-sdk/client-lambda' },
  endpoints: [],
  capabilities: [
    'Invoke a function synchronously with a JSON payload; function errors surfaced as typed errors',
    'Keep-alive socket pool, connect and request timeouts, SDK retries',
    'Health check (GetFunctionConfiguration: the function is Active)',
  ],
  sources: ['@aws-sdk/client-lambda typings (LambdaClientConfig, InvokeCommand, GetFunctionConfigurationCommand)', 'https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/client/lambda/ (not read here)'],
  unverified: [
    'AWS Lambda is not in SERVICES.md: the endpoint pattern, throttling signals and LAMBDA_FUNCTION_NAME (a convention) are from memory',
    'AWS_REGION and the credential variables are the SDK defaults, not checked here',
  ],
};

export const gcs: ServiceInput = {
  id: 'google-cloud-storage',
  name: 'Google Cloud Storage',
  className: 'Gcs',
  category: 'cloud',
  kind: 'storage',
  aliases: ['gcs', 'google-cloud', 'gcp'],
  driver: 'gcs',
  api: { baseUrl: 'https://storage.googleapis.com', confidence: 'unverified' },
  auth: { scheme: 'google-adc', description: 'Application Default Credentials: a service-account key file, workload identity or the metadata server', confidence: 'unverified' },
  envVars: [
    { name: 'GCS_BUCKET', description: 'Bucket name', secret: false, use: 'connection', confidence: 'unverified' },
    { name: 'GOOGLE_CLOUD_PROJECT', description: 'Project id (the client can also infer it)', secret: false, required: false, use: 'connection', confidence: 'unverified' },
    { name: 'GCS_API_ENDPOINT', description: 'Endpoint override (an emulator); requests to it carry no credentials', secret: false, required: false, use: 'connection', confidence: 'unverified' },
    { name: 'GOOGLE_APPLICATION_CREDENTIALS', description: 'Path to a service-account key file (omit on GCP with an attached service account)', secret: false, required: false, use: 'connection', confidence: 'unverified' },
  ],
  rateLimit: { signals: ['HTTP 429 and 5xx; the client retries them with exponential backoff (retryOptions)'], retryAfterHeader: false, confidence: 'unverified' },
  sdk: { package: '@google-cloud/storage' },
  endpoints: [],
  capabilities: ['Upload, download and delete objects', 'Client retries with exponential backoff and a total timeout', 'Retry on connect with backoff', 'Health check (the bucket exists and is readable)'],
  sources: ['@google-cloud/storage typings (StorageOptions: apiEndpoint, retryOptions, timeout, useAuthWithCustomEndpoint)', 'https://cloud.google.com/storage/docs/reference/libraries (not read here)'],
  unverified: [
    'Google Cloud Storage is not in SERVICES.md: GCS_BUCKET is a convention; GOOGLE_CLOUD_PROJECT / GOOGLE_APPLICATION_CREDENTIALS are the Google client conventions, not checked here',
    '"Google Cloud" in the seed list is taken to mean Cloud Storage',
  ],
};

export const azureBlob: ServiceInput = {
  id: 'azure-blob-storage',
  name: 'Azure Blob Storage',
  className: 'AzureBlob',
  category: 'cloud',
  kind: 'storage',
  aliases: ['azure-blob', 'azure', 'azure-storage'],
  driver: 'azure-blob',
  api: { baseUrl: 'https://{account}.blob.core.windows.net', confidence: 'unverified' },
  auth: { scheme: 'connection-string', description: 'Storage account connection string (account key or SAS)', confidence: 'unverified' },
  envVars: [
    { name: 'AZURE_STORAGE_CONNECTION_STRING', description: 'Storage account connection string', secret: true, use: 'connection', confidence: 'unverified' },
    { name: 'AZURE_STORAGE_CONTAINER', description: 'Container name', secret: false, use: 'connection', confidence: 'unverified' },
  ],
  rateLimit: { signals: ['HTTP 503 ServerBusy / 500 OperationTimedOut; the SDK retries with exponential backoff (retryOptions)'], retryAfterHeader: false, confidence: 'unverified' },
  sdk: { package: '@azure/storage-blob' },
  endpoints: [],
  capabilities: ['Upload, download and delete blobs', 'Keep-alive connections, per-try timeout and SDK retries', 'Retry on connect with backoff', 'Health check (container properties)'],
  sources: ['@azure/storage-blob typings (BlobServiceClient.fromConnectionString, StoragePipelineOptions.retryOptions, keepAliveOptions)', 'https://learn.microsoft.com/azure/storage/blobs/storage-quickstart-blobs-nodejs (not read here)'],
  unverified: [
    'Azure Blob Storage is not in SERVICES.md: AZURE_STORAGE_CONNECTION_STRING (the name the Azure samples use) and AZURE_STORAGE_CONTAINER are conventions, and the throttling signals are from memory',
    '"Azure" in the seed list is taken to mean Blob Storage',
  ],
};
