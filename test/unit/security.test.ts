/** Security and privacy checks for `npm test` (issue 5): no network, no sockets, no telemetry, no secrets. */
import { QUICK } from "../faults/lib/env";
import { Tally } from "../faults/lib/tally";
import { defineSecuritySuite } from "../faults/suites/security";

const tally = new Tally("security (quick)");
defineSecuritySuite(QUICK, tally);
tally.summaryTest();
