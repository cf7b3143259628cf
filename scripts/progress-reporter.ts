// A vitest reporter that appends one line per test file and per test as they start and end, to the file
// named by FLEET_TEST_PROGRESS. `.ci/run` reads it when a test run overruns its budget, to say which files
// and which tests were still running (scripts/ci-watchdog.sh) instead of a bare timeout.
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

const root = process.cwd();

export class ProgressReporter implements Reporter {
  constructor(private readonly file: string) {}

  private write(event: string, where: string, detail = ''): void {
    appendFileSync(this.file, `${new Date().toISOString()}\t${event}\t${where}${detail ? `\t${detail}` : ''}\n`);
  }

  private where(module: TestModule): string {
    return `${module.project.name}:${relative(root, module.moduleId)}`;
  }

  onTestModuleStart(module: TestModule): void {
    this.write('file-start', this.where(module));
  }

  onTestModuleEnd(module: TestModule): void {
    this.write('file-end', this.where(module), module.state());
  }

  onTestCaseReady(test: TestCase): void {
    this.write('test-start', this.where(test.module), test.fullName);
  }

  onTestCaseResult(test: TestCase): void {
    this.write('test-end', this.where(test.module), `${test.result().state} ${test.fullName}`);
  }
}
