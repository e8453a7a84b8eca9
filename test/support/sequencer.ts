import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The specs that take longest (browsers, child processes, full walks), started first. Vitest
 * orders files by their last durations, which a fresh clone (CI) does not have: it then falls
 * back to file size, and these small files started last and ran alone at the end of the suite.
 */
const SLOW_FIRST = [
  /\/e2e\/graphiql\.test\.ts$/,
  /\/gateway\/shutdown\.test\.ts$/,
  /\/gateway\/people\.test\.ts$/,
  /\/gateway\/security\.test\.ts$/,
  /\/gateway\/process-output\.test\.ts$/,
  /\/e2e\/cross-site\.test\.ts$/,
  /\/gateway\/defer-stream\.test\.ts$/,
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const index = SLOW_FIRST.findIndex((pattern) => pattern.test(spec.moduleId));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
