/**
 * The results webview HTML: a strict CSP with a fresh nonce per render, no inline script or style, the script and
 * styles only from the URIs given, and no data in the markup.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildResultsHtml, contentSecurityPolicy, escapeAttr } from "../../src/views/webviewHtml";

const options = {
    cspSource: "https://file+.vscode-resource.vscode-cdn.net",
    scriptUri: "https://file+.vscode-resource.vscode-cdn.net/ext/media/dist/results.js",
    styleUris: [
        "https://file+.vscode-resource.vscode-cdn.net/ext/media/dist/codicon.css",
        "https://file+.vscode-resource.vscode-cdn.net/ext/media/vscode.css",
        "https://file+.vscode-resource.vscode-cdn.net/ext/media/results.css",
    ],
    surface: "panel" as const,
};

function csp(html: string): string {
    const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
    assert.ok(m, "CSP meta tag present");
    return m[1];
}

function nonceOf(policy: string): string {
    const m = /script-src 'nonce-([^']+)'/.exec(policy);
    assert.ok(m, `nonce in ${policy}`);
    return m[1];
}

test("CSP: default-src none, scripts by nonce only, styles/fonts/images from the webview source", () => {
    const policy = csp(buildResultsHtml(options));
    const directives = policy.split(";").map((d) => d.trim());
    assert.equal(directives[0], "default-src 'none'");
    assert.ok(directives.includes(`style-src ${options.cspSource}`));
    assert.ok(directives.includes(`font-src ${options.cspSource}`));
    assert.ok(directives.includes(`img-src ${options.cspSource}`));
    assert.ok(!policy.includes("unsafe-inline") && !policy.includes("unsafe-eval"));
    assert.equal(directives.filter((d) => d.startsWith("script-src")).length, 1);
});

test("every render gets a fresh nonce, used by the one script tag", () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 20; i++) {
        const html = buildResultsHtml(options);
        const nonce = nonceOf(csp(html));
        assert.ok(nonce.length >= 22, "at least 128 bits");
        const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
        assert.equal(scripts.length, 1);
        assert.match(scripts[0][1], new RegExp(`nonce="${nonce.replace(/[+/=]/g, (c) => `\\${c}`)}"`));
        nonces.add(nonce);
    }
    assert.equal(nonces.size, 20);
});

test("no inline script or style: the script has a src and no body, no style tags or attributes, no handlers", () => {
    const html = buildResultsHtml(options);
    const [script] = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(script[2].trim(), "");
    assert.match(script[1], new RegExp(`src="${options.scriptUri.replace(/[.+]/g, (c) => `\\${c}`)}"`));
    assert.doesNotMatch(html, /<style\b/i);
    assert.doesNotMatch(html, /\sstyle=/i);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.doesNotMatch(html, /javascript:/i);
    for (const href of options.styleUris) assert.ok(html.includes(`<link rel="stylesheet" href="${href}">`), href);
});

test("URIs are attribute-escaped, and the surface is one of two fixed values", () => {
    const html = buildResultsHtml({ ...options, scriptUri: 'x" onload="alert(1)', surface: "view" });
    assert.ok(html.includes('src="x&quot; onload=&quot;alert(1)"'));
    assert.ok(html.includes('data-surface="view"'));
    assert.equal(escapeAttr(`<a href='x'>&"`), "&lt;a href='x'&gt;&amp;&quot;");
    const injected = buildResultsHtml({ ...options, surface: '"><script>alert(1)</script>' as "panel" });
    assert.equal([...injected.matchAll(/<script\b/g)].length, 1);
});

test("contentSecurityPolicy builds the documented policy", () => {
    assert.equal(
        contentSecurityPolicy("vscode-src", "abc"),
        "default-src 'none'; script-src 'nonce-abc'; style-src vscode-src; font-src vscode-src; img-src vscode-src",
    );
});
