/** Quick load suite for `npm test` (issue 5): a few thousand chunks, readers during indexing, 300 searches. */
import { QUICK } from "../faults/lib/env";
import { Tally } from "../faults/lib/tally";
import { defineLoadSuite } from "../faults/suites/load";

const tally = new Tally("load (quick)");
defineLoadSuite(QUICK, tally);
tally.summaryTest();
