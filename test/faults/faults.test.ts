/** Full fault suite (`npm run test:faults`): 30+ kill -9 trials, SIGINT, two writers, store and model damage, worker faults. */
import { FULL } from "./lib/env";
import { Tally } from "./lib/tally";
import { defineKillRecoverySuite } from "./suites/killRecovery";
import { defineModelFaultSuite } from "./suites/modelFaults";
import { defineStoreCorruptionSuite } from "./suites/storeCorruption";
import { defineWorkerFaultSuite } from "./suites/workerFaults";

const tally = new Tally("faults (full)");
defineKillRecoverySuite(FULL, tally);
defineStoreCorruptionSuite(FULL, tally);
defineModelFaultSuite(FULL, tally);
defineWorkerFaultSuite(FULL, tally);
tally.summaryTest();
