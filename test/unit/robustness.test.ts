/**
 * Quick bad-input suite for `npm test` (issue 5): the mixed bad-input folder (5,000 tiny files), unreadable files
 * as `nobody`, mid-run deletes and rewrites, a background writer, hostile queries. Full version: test/faults.
 */
import { QUICK } from "../faults/lib/env";
import { Tally } from "../faults/lib/tally";
import { defineBadInputSuite } from "../faults/suites/badInput";
import { defineInputRaceSuite } from "../faults/suites/inputRaces";
import { defineQuerySuite } from "../faults/suites/queries";

const tally = new Tally("bad input (quick)");
defineBadInputSuite(QUICK, tally);
defineInputRaceSuite(QUICK, tally);
defineQuerySuite(QUICK, tally);
tally.summaryTest();
