/** Full load suite (`npm run test:faults`): 200,000 chunks (hash embedder), readers during indexing, 1,000 searches. */
import { FULL } from "./lib/env";
import { Tally } from "./lib/tally";
import { defineLoadSuite } from "./suites/load";

const tally = new Tally("load (full)");
defineLoadSuite(FULL, tally);
tally.summaryTest();
