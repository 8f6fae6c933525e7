// Names the tests that failed, and those that passed only when retried (flaky), from the suites'
// JSON reports, so the end of the CI log says what to fix without scrolling through both runs.
// node .ci/report-tests.mjs <report.json>…
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const firstLines = (message, n = 6) => message.split('\n').slice(0, n).join('\n      ');
let flaky = 0;
for (const path of process.argv.slice(2)) {
  if (!existsSync(path)) continue;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  for (const file of report.testResults) {
    const name = relative(process.cwd(), file.name);
    if (file.status === 'failed' && file.assertionResults.every((t) => t.status !== 'failed')) {
      console.log(`FAILED ${path}: ${name}: ${firstLines(file.message)}`);
    }
    for (const test of file.assertionResults) {
      const failed = test.status === 'failed';
      if (!failed && test.failureMessages.length === 0) continue;
      if (!failed) flaky++;
      console.log(`${failed ? 'FAILED' : 'FLAKY (passed on retry)'} ${path}: ${name} › ${test.fullName}`);
      console.log(`      ${firstLines(test.failureMessages[0] ?? '')}`);
    }
  }
}
if (flaky > 0) console.log(`${flaky} test(s) passed only on retry: fix them, the retry is a safety net`);
