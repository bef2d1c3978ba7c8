import type { ServiceInput } from '../schema.js';

const noRateLimit = { signals: ['not an HTTP API: pool limits and server max connections apply'], retryAfterHeader: false, confidence: 'unverified' as const };

export const postgresql: ServiceInput = {
  id: 'postgresql',
  name: 'PostgreSQL',
  className: 'Postgres',
  category: 'databases',
  kind: 'database',
  aliases: ['postgres', 'pg'],
  driver: 'pg',
  api: { baseUrl: 'postgresql://user:password@host:5432/database', confidence: 'verified' },
  auth: { scheme: 'connection-string', description: 'Connection string (user, password, host, database); TLS via sslmode', confidence: 'verified' },
  envVars: [
    { name: 'DATABASE_URL', description: 'postgresql:// connection string', secret: true, use: 'connection', confidence: 'unverified' },
    { name: 'PG_POOL_MAX', description: 'Most pooled connections', secret: false, required: false, use: 'connection', confidence: 'unverified' },
  ],
  rateLimit: noRateLimit,
  sdk: { package: 'pg' },
  endpoints: [],
  capabilities: ['Pooled connections', 'Query and statement timeouts', 'Retry on connect with backoff', 'Health check (SELECT 1)'],
  sources: ['https://node-postgres.com/apis/pool', 'https://node-postgres.com/apis/client'],
  unverified: ['DATABASE_URL is a convention (node-postgres reads PG* variables itself)'],
};

export const redis: ServiceInput = {
  id: 'redis',
  name: 'Redis',
  className: 'Redis',
  category: 'databases',
  kind: 'database',
  driver: 'ioredis',
  api: { baseUrl: 'redis://host:6379', confidence: 'verified' },
  auth: { scheme: 'connection-string', description: 'redis:// or rediss:// URL with optional user and password', confidence: 'verified' },
  envVars: [{ name: 'REDIS_URL', description: 'redis:// or rediss:// URL', secret: true, use: 'connection', confidence: 'unverified' }],
  rateLimit: noRateLimit,
  sdk: { package: 'ioredis' },
  endpoints: [],
  capabilities: ['One multiplexed connection', 'Connect and command timeouts', 'Retry on connect with backoff', 'Health check (PING)'],
  sources: ['https://github.com/redis/ioredis#connect-to-redis', 'ioredis RedisOptions (retryStrategy, connectTimeout, commandTimeout)'],
  unverified: ['REDIS_URL is a convention'],
};

export const mongodb: ServiceInput = {
  id: 'mongodb',
  name: 'MongoDB',
  className: 'Mongo',
  category: 'databases',
  kind: 'database',
  aliases: ['mongo'],
  driver: 'mongodb',
  api: { baseUrl: 'mongodb://host:27017/database', confidence: 'verified' },
  auth: { scheme: 'connection-string', description: 'mongodb:// or mongodb+srv:// connection string', confidence: 'verified' },
  envVars: [
    { name: 'MONGODB_URI', description: 'mongodb:// or mongodb+srv:// connection string', secret: true, use: 'connection', confidence: 'unverified' },
    { name: 'MONGODB_DB', description: 'Database name', secret: false, required: false, use: 'connection', confidence: 'unverified' },
  ],
  rateLimit: noRateLimit,
  sdk: { package: 'mongodb' },
  endpoints: [],
  capabilities: ['Driver connection pool (maxPoolSize)', 'Server selection and socket timeouts', 'Retry on connect with backoff', 'Health check (ping command)'],
  sources: ['https://www.mongodb.com/docs/drivers/node/current/fundamentals/connection/connection-options/'],
  unverified: ['MONGODB_URI / MONGODB_DB are conventions'],
};

export const s3: ServiceInput = {
  id: 'aws-s3',
  name: 'AWS S3',
  className: 'S3',
  category: 'cloud',
  kind: 'storage',
  aliases: ['s3', 'aws'],
  driver: 'aws-s3',
  api: { baseUrl: 'https://s3.{region}.amazonaws.com', confidence: 'verified' },
  auth: { scheme: 'aws-sigv4', description: 'AWS Signature V4 from the default credential provider chain (environment, shared config, instance role)', confidence: 'verified' },
  envVars: [
    { name: 'AWS_REGION', description: 'Region of the bucket', secret: false, use: 'connection' },
    { name: 'S3_BUCKET', description: 'Bucket name', secret: false, use: 'connection', confidence: 'unverified' },
    { name: 'AWS_ACCESS_KEY_ID', description: 'Access key id (omit to use an instance or task role)', secret: false, required: false, use: 'connection' },
    { name: 'AWS_SECRET_ACCESS_KEY', description: 'Secret access key (omit to use a role)', secret: true, required: false, use: 'connection' },
  ],
  rateLimit: { signals: ['HTTP 503 SlowDown', '429 / throttling errors; the SDK retries with its standard retry strategy'], retryAfterHeader: false, confidence: 'unverified' },
  sdk: { package: '@aws-sdk/client-s3' },
  endpoints: [],
  capabilities: ['Put, get and delete objects', 'Connection pooling through the SDK HTTP agent (maxSockets)', 'Request timeouts and SDK retries', 'Health check (HeadBucket)'],
  sources: ['https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/client/s3/', '@aws-sdk/client-s3 S3ClientConfig (maxAttempts, requestHandler)'],
  unverified: ['S3_BUCKET is a convention'],
};

export const mysql: ServiceInput = {
  id: 'mysql',
  name: 'MySQL',
  className: 'MySql',
  category: 'databases',
  kind: 'database',
  aliases: ['mariadb'],
  driver: 'mysql2',
  api: { baseUrl: 'mysql://user:password@host:3306/database', confidence: 'unverified' },
  auth: { scheme: 'connection-string', description: 'mysql:// URI (user, password, host, database); TLS through the ssl option', confidence: 'unverified' },
  envVars: [
    { name: 'MYSQL_URL', description: 'mysql:// connection URI', secret: true, use: 'connection', confidence: 'unverified' },
    { name: 'MYSQL_POOL_MAX', description: 'Most pooled connections', secret: false, required: false, use: 'connection', confidence: 'unverified' },
  ],
  rateLimit: noRateLimit,
  sdk: { package: 'mysql2' },
  endpoints: [],
  capabilities: ['Pooled connections (connectionLimit, queue limit)', 'Connect and query timeouts', 'Retry on connect with backoff', 'Health check (SELECT 1)'],
  sources: ['mysql2 typings: mysql2/promise createPool, PoolOptions (uri, connectionLimit, connectTimeout, queueLimit, enableKeepAlive)', 'https://sidorares.github.io/node-mysql2/docs (not read here)'],
  unverified: ['MySQL is not in SERVICES.md: MYSQL_URL / MYSQL_POOL_MAX are conventions; the pool options were checked against the installed mysql2 typings only'],
};

export const dynamodb: ServiceInput = {
  id: 'dynamodb',
  name: 'Amazon DynamoDB',
  className: 'DynamoDb',
  category: 'databases',
  kind: 'database',
  aliases: ['dynamo', 'aws-dynamodb'],
  driver: 'aws-dynamodb',
  api: { baseUrl: 'https://dynamodb.{region}.amazonaws.com', confidence: 'unverified' },
  auth: { scheme: 'aws-sigv4', description: 'AWS Signature V4 from the default credential provider chain (environment, shared config, instance role)', confidence: 'unverified' },
  envVars: [
    { name: 'AWS_REGION', description: 'Region of the table', secret: false, use: 'connection', confidence: 'unverified' },
    { name: 'DYNAMODB_TABLE', description: 'Table name', secret: false, use: 'connection', confidence: 'unverified' },
    { name: 'DYNAMODB_ENDPOINT', description: 'Endpoint override (DynamoDB Local)', secret: false, required: false, use: 'connection', confidence: 'unverified' },
    { name: 'AWS_ACCESS_KEY_ID', description: 'Access key id (omit to use an instance or task role)', secret: false, required: false, use: 'connection', confidence: 'unverified' },
    { name: 'AWS_SECRET_ACCESS_KEY', description: 'Secret access key (omit to use a role)', secret: true, required: false, use: 'connection', confidence: 'unverified' },
  ],
  rateLimit: { signals: ['ProvisionedThroughputExceededException / ThrottlingException (HTTP 400); the SDK retries them with its standard retry strategy'], retryAfterHeader: false, confidence: 'unverified' },
  sdk: { package: '@aws-sdk/client-dynamodb' },
  endpoints: [],
  capabilities: ['One client with a keep-alive socket pool (maxSockets)', 'Connect and request timeouts, SDK retries', 'Retry on connect with backoff', 'Health check (DescribeTable: the table is ACTIVE)'],
  sources: ['@aws-sdk/client-dynamodb typings (DynamoDBClientConfig, DescribeTableCommand)', 'https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/client/dynamodb/ (not read here)'],
  unverified: [
    'DynamoDB is not in SERVICES.md: the endpoint pattern, the throttling error names and DYNAMODB_TABLE / DYNAMODB_ENDPOINT (conventions) are from memory',
    'AWS_REGION and the credential variables are the SDK defaults, not checked here',
  ],
};
