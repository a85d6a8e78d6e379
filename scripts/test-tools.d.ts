// Types for scripts/test-tools.js (plain JavaScript: it runs before npm ci), for the tests that use its list.
export interface TestTool {
  command: string;
  debianPackage: string;
  usedBy: string;
}
export const TEST_TOOLS: readonly TestTool[];
export function findOnPath(command: string, path: string | undefined): string | undefined;
export function missingTools(tools: readonly TestTool[], path: string | undefined): TestTool[];
export function packagesFor(missing: readonly TestTool[]): string[];
