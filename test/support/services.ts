/**
 * Suites that need a real service run when it is configured and are skipped with a notice when
 * it is not, except under REQUIRE_SERVICES=1 (as `.ci/run` sets): there a missing service fails.
 */
export const servicesRequired = process.env.REQUIRE_SERVICES === '1';

export function describeWithService(service: string, available: boolean, howToEnable: string) {
  if (available) return describe;
  if (servicesRequired) {
    return (name: string) =>
      describe(name, () => {
        it(`needs ${service}`, () => {
          throw new Error(`${service} is required (REQUIRE_SERVICES=1) but not available: ${howToEnable}`);
        });
      });
  }
  process.stdout.write(`Skipping the ${service} suites: ${howToEnable}\n`);
  return describe.skip;
}
