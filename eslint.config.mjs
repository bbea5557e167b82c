// One lint setup for every package: typescript-eslint's type-checked rules, prettier-compatible.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['**/dist/**', '**/node_modules/**', '.edgetrust/**', '.fabric/**', 'coverage/**'] },
    eslint.configs.recommended,
    ...tseslint.configs.strictTypeChecked,
    prettier,
    {
        languageOptions: {
            parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
        },
        rules: {
            complexity: ['error', 12],
            '@typescript-eslint/explicit-function-return-type': 'error',
            '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
            '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
            // A leading underscore marks a binding left unused on purpose (e.g. dropped by destructuring).
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
            // Typed JSON results (`evaluate<Invoice>(...)`) are the point of the clients' generic methods.
            '@typescript-eslint/no-unnecessary-type-parameters': 'off',
        },
    },
    {
        // Chaincode data classes exist for contract metadata (@Object/@Property); records read from the ledger are
        // plain JSON typed by them, the idiom of fabric-contract-api, so class-instance assignment rules don't apply.
        files: ['chaincode/**/*.ts'],
        rules: { '@typescript-eslint/no-unsafe-class-instance-assignment': 'off', '@typescript-eslint/no-misused-spread': 'off' },
    },
    {
        files: ['**/*.test.ts', 'test/**/*.ts'],
        // expect.objectContaining() and friends are typed any by @types/jest.
        rules: { '@typescript-eslint/explicit-function-return-type': 'off', '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' },
    },
    {
        files: ['**/*.js', '**/*.mjs'],
        extends: [tseslint.configs.disableTypeChecked],
        languageOptions: { globals: { console: 'readonly', process: 'readonly', module: 'writable', require: 'readonly', fetch: 'readonly' } },
        rules: { '@typescript-eslint/explicit-function-return-type': 'off' },
    },
    {
        // Caliper loads workload modules, and fabric-shim the analysis chaincode variant, with require(): CommonJS.
        files: ['bench/caliper/workloads/*.js', 'bench/analysis/**/*.js'],
        languageOptions: { sourceType: 'commonjs', globals: { __dirname: 'readonly', setTimeout: 'readonly', Buffer: 'readonly' } },
        rules: { '@typescript-eslint/no-require-imports': 'off' },
    },
);
