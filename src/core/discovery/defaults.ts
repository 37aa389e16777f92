/**
 * Built-in discovery rules: what Seek never indexes unless told otherwise (gitignore syntax), what it never indexes
 * at all (secrets, binary formats, VCS metadata), and the limits discovery and the reader share.
 */

/** Default cap on a file's size in bytes; bigger files are mostly generated code or data. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Bytes inspected for NUL and control characters; git's own binary heuristic looks at the first 8000. */
export const BINARY_SNIFF_BYTES = 8 * 1024;

/** Directories skipped silently: version-control metadata is not workspace content and would flood the skip log. */
export const VCS_DIRS: ReadonlySet<string> = new Set([".git", ".hg", ".svn"]);

/** Why a default exclude rule exists; picks the SkipReason reported for it. */
export type DefaultRuleKind = "ignored" | "minified";

/**
 * Default excludes in gitignore syntax. They are the lowest-priority rule layer, so a `.gitignore` or `.seekignore`
 * negation (`!build/`) re-includes them: a project whose sources live in `build/` must be able to say so.
 */
export const DEFAULT_EXCLUDES: ReadonlyArray<{ pattern: string; kind: DefaultRuleKind; why: string }> = [
    ...[
        "node_modules/",
        "bower_components/",
        "jspm_packages/",
        ".pnpm-store/",
        ".yarn/cache/",
        "dist/",
        "build/",
        "out/",
        "target/",
        ".next/",
        ".nuxt/",
        ".svelte-kit/",
        ".angular/",
        ".turbo/",
        ".parcel-cache/",
        "coverage/",
        ".nyc_output/",
        "__pycache__/",
        ".venv/",
        "venv/",
        ".tox/",
        ".nox/",
        ".mypy_cache/",
        ".pytest_cache/",
        ".ruff_cache/",
        "*.egg-info/",
        ".eggs/",
        ".gradle/",
        ".idea/",
        ".vscode-test/",
        ".terraform/",
        ".seek-index/",
    ].map((pattern) => ({ pattern, kind: "ignored" as const, why: "build output or dependencies" })),
    ...[
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
        "bun.lockb",
        "Cargo.lock",
        "poetry.lock",
        "Pipfile.lock",
        "uv.lock",
        "composer.lock",
        "Gemfile.lock",
        "Podfile.lock",
        "pubspec.lock",
        "mix.lock",
        "packages.lock.json",
        "go.sum",
    ].map((pattern) => ({ pattern, kind: "ignored" as const, why: "lock file" })),
    ...["*.min.js", "*.min.mjs", "*.min.css", "*.bundle.js", "*.chunk.js"].map((pattern) => ({
        pattern,
        kind: "minified" as const,
        why: "minified by name",
    })),
    { pattern: "*.map", kind: "minified", why: "source map" },
];

/**
 * Files that may hold credentials. Matched on the lower-cased base name and never overridable: a negation in some
 * `.gitignore` must not put a private key into the index (issue 5, "Secrets are excluded by default").
 */
export const SECRET_FILE_GLOBS: readonly string[] = [
    ".env",
    ".env.*",
    ".envrc",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.keystore",
    "*.jks",
    "*.ppk",
    "*.kdbx",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".npmrc",
    ".yarnrc.yml",
    ".pypirc",
    ".netrc",
    "_netrc",
    ".pgpass",
    ".htpasswd",
    ".git-credentials",
    "credentials.json",
    "service-account*.json",
];

/** The detail of a "binary" skip decided by the file's name alone: an expected skip, unlike binary content in a text file. */
export const BINARY_BY_NAME = "by extension";

/** Directories that hold credentials by convention; skipped whole with reason "secret". */
export const SECRET_DIRS: ReadonlySet<string> = new Set([".ssh", ".gnupg", ".aws", ".docker"]);

/**
 * Extensions of formats that are never text. Checked before reading so a 900 KiB PNG costs no I/O; the reader's
 * content sniffing still catches binary files with text extensions.
 */
export const BINARY_EXTENSIONS: ReadonlySet<string> = new Set(
    [
        // images
        "png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "webp", "tif", "tiff", "psd", "avif", "heic", "heif", "xcf",
        // archives and packages
        "zip", "tar", "gz", "tgz", "bz2", "xz", "zst", "lz4", "7z", "rar", "jar", "war", "ear", "whl", "nupkg",
        "deb", "rpm", "dmg", "iso", "apk", "ipa", "crx", "vsix",
        // fonts
        "ttf", "otf", "woff", "woff2", "eot",
        // audio and video
        "mp3", "mp4", "m4a", "m4v", "wav", "flac", "ogg", "oga", "ogv", "opus", "aac", "webm", "mov", "avi",
        "mkv", "wmv", "mid", "midi",
        // compiled code and native libraries
        "exe", "dll", "so", "dylib", "a", "lib", "o", "obj", "class", "pyc", "pyo", "pyd", "wasm", "node",
        // models and data
        "onnx", "pt", "pth", "ckpt", "safetensors", "h5", "pb", "tflite", "npy", "npz", "parquet", "feather",
        "arrow", "sqlite", "sqlite3", "db", "mdb",
        // office documents
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp",
        // misc
        "swf", "blend", "fbx", "glb", "bin",
    ],
);

/** Binary files without a telling extension. */
export const BINARY_FILE_NAMES: ReadonlySet<string> = new Set([".ds_store", "thumbs.db"]);
