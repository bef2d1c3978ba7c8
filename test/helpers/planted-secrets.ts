/**
 * Secrets the scan tests plant. Each is assembled at run time so no test file holds one whole
 * (and the repository's own scanners never flag the tests).
 */
export const AWS_KEY = ['AKIA', 'Z3MSJV4WWNKWW5FG'].join('');
export const STRIPE_LIVE = ['sk', 'live', '51H8abcdEFGHijklMNOPqrstUVwxyz0123'].join('_');

export const RSA_PRIVATE_KEY = [
  '-----BEGIN RSA PRIVATE' + ' KEY-----',
  'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
  'aFDrBz9vFqU4yVHEa5n+wZPJnWh8aPTFRvPfTWk7PuGmc9dCKyGpGrXhqU2VbzFY',
  '-----END RSA PRIVATE' + ' KEY-----',
].join('\n');

export const OPENSSH_PRIVATE_KEY = [
  '-----BEGIN OPENSSH PRIVATE' + ' KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACDh2Xn3Tz0vKxRp3nE0Q3mHq3m1YqU0b0s8dZKq9fJ5RwAAAJgAAAAAAAAA',
  '-----END OPENSSH PRIVATE' + ' KEY-----',
].join('\n');
