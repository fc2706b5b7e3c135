/**
 * A task that runs one pass at a time: `run()` while a pass runs asks for one more pass after
 * it (however many times it is called) and returns the running promise. Used by both outboxes,
 * whose passes must never overlap (a second pass would send an entry twice).
 */
export function singleFlight(pass, report) {
  let running = null;
  let again = false;
  return function run() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await pass();
        } while (again);
      } finally {
        running = null;
      }
    })().catch(report);
    return running;
  };
}
