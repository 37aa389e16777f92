/** Quick store, model and worker fault suite for `npm test` (issue 5). Full version: test/faults/faults.test.ts. */
import { QUICK } from "../faults/lib/env";
import { Tally } from "../faults/lib/tally";
import { defineModelFaultSuite } from "../faults/suites/modelFaults";
import { defineStoreCorruptionSuite } from "../faults/suites/storeCorruption";
import { defineWorkerFaultSuite } from "../faults/suites/workerFaults";

const tally = new Tally("faults (quick)");
defineStoreCorruptionSuite(QUICK, tally);
defineModelFaultSuite(QUICK, tally);
defineWorkerFaultSuite(QUICK, tally);
tally.summaryTest();
