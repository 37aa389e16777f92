import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { listRanks, orderByScore, reciprocalRankFusion, type RankedList } from "../../src/core/search/fusion";

describe("reciprocal-rank fusion", () => {
    it("sums weight / (k + rank) over lists", () => {
        const scores = reciprocalRankFusion(
            [
                { name: "vector", ids: [1, 2, 3], weight: 1 },
                { name: "lexical", ids: [3, 1], weight: 2 },
            ],
            60,
        );
        assert.equal(scores.get(1), 1 / 61 + 2 / 62);
        assert.equal(scores.get(2), 1 / 62);
        assert.equal(scores.get(3), 1 / 63 + 2 / 61);
        assert.deepEqual(orderByScore(scores).map((s) => s.id), [3, 1, 2]);
    });

    it("ranks a chunk found by both lists above chunks found by one", () => {
        const scores = reciprocalRankFusion(
            [
                { name: "vector", ids: [10, 20, 30], weight: 1 },
                { name: "lexical", ids: [40, 50, 30], weight: 1 },
            ],
            60,
        );
        assert.equal(orderByScore(scores)[0].id, 30);
    });

    it("breaks ties by id, whatever the order of the lists", () => {
        const a: RankedList = { name: "vector", ids: [7, 5], weight: 1 };
        const b: RankedList = { name: "lexical", ids: [5, 7], weight: 1 };
        const one = orderByScore(reciprocalRankFusion([a, b], 60));
        const two = orderByScore(reciprocalRankFusion([b, a], 60));
        assert.equal(one[0].score, one[1].score, "a genuine tie");
        assert.deepEqual(one.map((s) => s.id), [5, 7]);
        assert.deepEqual(two.map((s) => s.id), [5, 7]);
    });

    it("gives equal retriever scores one shared rank", () => {
        const list: RankedList = { name: "v", ids: [9, 3, 4, 8], scores: [0.9, 0.5, 0.5, 0.1], weight: 1 };
        assert.deepEqual(listRanks(list), [1, 2, 2, 4]);
        const fused = reciprocalRankFusion([list, { name: "l", ids: [4, 3], scores: [-2, -2], weight: 1 }], 60);
        assert.equal(fused.get(3), fused.get(4));
        assert.deepEqual(orderByScore(fused).map((s) => s.id), [3, 4, 9, 8], "the tie falls back to id order");
        assert.deepEqual(listRanks({ name: "no scores", ids: [1, 2, 3], weight: 1 }), [1, 2, 3]);
    });

    it("a larger k flattens the advantage of rank 1", () => {
        const lists: RankedList[] = [{ name: "v", ids: [1, 2], weight: 1 }];
        const sharp = reciprocalRankFusion(lists, 1);
        const flat = reciprocalRankFusion(lists, 1000);
        assert.ok(sharp.get(1)! / sharp.get(2)! > flat.get(1)! / flat.get(2)!);
    });

    it("handles no lists and empty lists", () => {
        assert.equal(reciprocalRankFusion([], 60).size, 0);
        assert.equal(reciprocalRankFusion([{ name: "v", ids: [], weight: 1 }], 60).size, 0);
    });
});
