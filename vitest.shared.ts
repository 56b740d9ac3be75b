// Resolve @supctl/* imports to their TypeScript source (the "@supctl/source" export condition),
// so tests need no build step; the rest are Vite's default conditions.
export const sourceConditions = ['@supctl/source', 'module', 'node', 'development|production'];
