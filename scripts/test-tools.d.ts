// Types for scripts/test-tools.js (plain JavaScript: it runs before npm ci), for the tests that use its list.
export interface TestTool {
  command: string;
  debianPackage: string;
  usedBy: string;
  /** Directories beside PATH where the command may be (Debian's PostgreSQL server). */
  dirs?: () => string[];
}
export const TEST_TOOLS: readonly TestTool[];
export function findOnPath(command: string, path: string | undefined): string | undefined;
export function findTool(tool: TestTool, path: string | undefined): string | undefined;
export function postgresBinDirs(root?: string): string[];
export function missingTools(tools: readonly TestTool[], path: string | undefined): TestTool[];
export function packagesFor(missing: readonly TestTool[]): string[];
