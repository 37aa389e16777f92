/** Which PostgreSQL failures mean "unreachable" (the front ends fall back to the local index), without a server. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isUnreachable, redactedUrl } from "../../src/core/store/postgres/connection";

describe("team index connection errors", () => {
    it("a connection refused, dropped, timed out or gone silent is 'unreachable'; a rejected query is not", () => {
        const coded = (code: string) => Object.assign(new Error("x"), { code });
        for (const e of [coded("ECONNREFUSED"), coded("ETIMEDOUT"), coded("57P01"), coded("08006"), new Error("Connection terminated unexpectedly"), new Error("Query read timeout")]) {
            assert.equal(isUnreachable(e), true, e.message);
        }
        for (const e of [coded("42P01"), coded("28P01"), new Error("syntax error at or near")]) assert.equal(isUnreachable(e), false, e.message);
    });

    it("never shows a password", () => {
        assert.equal(redactedUrl("postgres://reader:s3cr%40t@db:5432/seek?sslmode=require"), "postgres://reader:***@db:5432/seek?sslmode=require");
        assert.equal(redactedUrl("not a url with s3cret"), "<store url>");
    });
});
