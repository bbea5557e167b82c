// fabric-contract-api logs every decorator at info level; keep test output readable.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'warning';

// Two projects: unit tests live beside the code and need nothing running;
// integration and scenario tests (test/) talk to the real Fabric network that scripts/test.mjs starts.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/chaincode', '<rootDir>/gateway-sdk', '<rootDir>/test-network-scripts', '<rootDir>/cli', '<rootDir>/bench', '<rootDir>/service', '<rootDir>/console'],
      testMatch: ['<rootDir>/{chaincode,gateway-sdk,test-network-scripts,cli,bench,service,console}/**/src/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
  ],
};
