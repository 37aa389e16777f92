/** The watcher keeps the index fresh: a new file is found, an edit is picked up, a deletion removes it. */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activate, fixtureUri, search, waitFor, waitForIndex } from "./helpers";

const REL = "src/billing/invoiceTotals.ts";
const BODY = `/** Adds up the line items of an invoice and applies the regional tax rate. */
export function computeInvoiceTaxTotals(lines: { net: number }[], taxRate: number): number {
    const net = lines.reduce((sum, l) => sum + l.net, 0);
    return net * (1 + taxRate);
}
`;

suite("freshness", () => {
    suiteSetup(async () => {
        await activate();
        await waitForIndex();
    });

    suiteTeardown(async () => {
        await vscode.workspace.fs.delete(fixtureUri("src/billing"), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    });

    /** A hit in the file whose text has the identifier (other words of the file may match too). */
    const found = (ident: string) => async () => {
        const out = await search(ident, { mode: "lexical" });
        return out.hits.some((h) => h.path === REL && h.text.includes(ident)) ? out : undefined;
    };

    test("a created file is indexed, an edit is picked up, a deleted file disappears", async () => {
        await vscode.workspace.fs.writeFile(fixtureUri(REL), Buffer.from(BODY));
        await waitFor("the new file in results", found("computeInvoiceTaxTotals"), 60_000);

        const edited = BODY.replace("computeInvoiceTaxTotals", "sumInvoiceWithVat");
        await vscode.workspace.fs.writeFile(fixtureUri(REL), Buffer.from(edited));
        await waitFor("the edit in results", found("sumInvoiceWithVat"), 60_000);
        const stale = await search("computeInvoiceTaxTotals", { mode: "lexical" });
        assert.ok(!stale.hits.some((h) => h.path === REL && h.text.includes("computeInvoiceTaxTotals")), "the old text is gone");

        await vscode.workspace.fs.delete(fixtureUri("src/billing"), { recursive: true, useTrash: false });
        await waitFor("the deleted file to leave the results", async () => ((await found("sumInvoiceWithVat")()) ? undefined : true), 60_000);
    });
});
