/** Security and privacy suite (`npm run test:faults`; the same checks run in `npm test`). */
import { FULL } from "./lib/env";
import { Tally } from "./lib/tally";
import { defineSecuritySuite } from "./suites/security";

const tally = new Tally("security (full)");
defineSecuritySuite(FULL, tally);
tally.summaryTest();
