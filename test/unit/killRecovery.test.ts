/** Quick kill -9 / SIGINT / two-writer trials for `npm test` (issue 5). Full version (30+ trials): test/faults. */
import { QUICK } from "../faults/lib/env";
import { Tally } from "../faults/lib/tally";
import { defineKillRecoverySuite } from "../faults/suites/killRecovery";

const tally = new Tally("kill recovery (quick)");
defineKillRecoverySuite(QUICK, tally);
tally.summaryTest();
