/** Full bad-input suite (`npm run test:faults`): every case mixed and alone, 100,000 tiny files, races, queries. */
import { FULL } from "./lib/env";
import { Tally } from "./lib/tally";
import { defineBadInputSuite } from "./suites/badInput";
import { defineInputRaceSuite } from "./suites/inputRaces";
import { defineQuerySuite } from "./suites/queries";

const tally = new Tally("bad input (full)");
defineBadInputSuite(FULL, tally);
defineInputRaceSuite(FULL, tally);
defineQuerySuite(FULL, tally);
tally.summaryTest();
