/**
 * Per-language knowledge of tree-sitter node types: which nodes are units (functions, classes, ...), which only
 * wrap a unit (`export`, decorators, templates), which are transparent containers (namespaces, header guards), and
 * which are glued to the unit after them (comments, decorators, attributes). Plus how to name a unit.
 */
import type { Node } from "@vscode/tree-sitter-wasm";
import type { GrammarName } from "./treeSitter";

/** What the code chunker needs to know about one grammar. */
export interface SyntaxSpec {
    grammar: GrammarName;
    /** Node type -> symbol kind for nodes that are chunks of their own. */
    units: Record<string, string>;
    /** Nodes whose unit is inside them (found by field, else as the first unit-typed child); the wrapper's range is used. */
    wrappers: Set<string>;
    /** Nodes whose children are walked as if they were at the level of the container (namespaces, #ifdef). */
    containers: Set<string>;
    /** Comments, decorators, attributes: included in the unit they directly precede. */
    attachable: Set<string>;
}

/** A unit found in the tree: what to call it, and the node whose `body` holds its members. */
export interface UnitInfo {
    name?: string;
    kind: string;
    inner: Node;
}

/** Kinds whose function members are called methods. */
const TYPE_KINDS = new Set(["class", "struct", "interface", "trait", "impl", "enum", "module"]);

/** Inside a function body only nested functions and types are units; its variables are just statements. */
const NESTABLE_IN_FUNCTIONS = new Set([
    "function",
    "class",
    "struct",
    "interface",
    "enum",
    "trait",
    "impl",
    "module",
]);

const JS_GRAMMARS = new Set(["typescript", "tsx", "javascript"]);

const set = (...types: string[]) => new Set(types);

const TS_UNITS: Record<string, string> = {
    function_declaration: "function",
    generator_function_declaration: "function",
    function_signature: "function",
    class_declaration: "class",
    abstract_class_declaration: "class",
    interface_declaration: "interface",
    type_alias_declaration: "type",
    enum_declaration: "enum",
    lexical_declaration: "variable",
    variable_declaration: "variable",
    method_definition: "method",
    // `exports.f = function () {}`, `Foo.prototype.bar = function () {}` (only with a function or class value).
    assignment_expression: "function",
    public_field_definition: "variable",
    field_definition: "variable",
    // Only reached through `export default <value>`.
    function_expression: "function",
    arrow_function: "function",
    class: "class",
};
const TS: Omit<SyntaxSpec, "grammar"> = {
    units: TS_UNITS,
    wrappers: set("export_statement", "ambient_declaration", "expression_statement"),
    containers: set("internal_module", "module"),
    attachable: set("comment", "decorator"),
};

const SPECS: Record<string, SyntaxSpec> = {
    typescript: { grammar: "typescript", ...TS },
    tsx: { grammar: "tsx", ...TS },
    javascript: { grammar: "javascript", ...TS },
    python: {
        grammar: "python",
        units: { function_definition: "function", class_definition: "class" },
        wrappers: set("decorated_definition"),
        containers: set(),
        attachable: set("comment"),
    },
    go: {
        grammar: "go",
        units: {
            function_declaration: "function",
            method_declaration: "method",
            type_declaration: "type",
            const_declaration: "variable",
            var_declaration: "variable",
        },
        wrappers: set(),
        containers: set(),
        attachable: set("comment"),
    },
    java: {
        grammar: "java",
        units: {
            class_declaration: "class",
            interface_declaration: "interface",
            enum_declaration: "enum",
            record_declaration: "class",
            annotation_type_declaration: "interface",
            method_declaration: "method",
            constructor_declaration: "method",
            compact_constructor_declaration: "method",
        },
        wrappers: set(),
        containers: set("enum_body_declarations"),
        attachable: set("line_comment", "block_comment"),
    },
    rust: {
        grammar: "rust",
        units: {
            function_item: "function",
            function_signature_item: "function",
            struct_item: "struct",
            union_item: "struct",
            enum_item: "enum",
            trait_item: "trait",
            impl_item: "impl",
            mod_item: "module",
            macro_definition: "macro",
            const_item: "variable",
            static_item: "variable",
            type_item: "type",
        },
        wrappers: set(),
        containers: set("foreign_mod_item"),
        attachable: set("line_comment", "block_comment", "attribute_item"),
    },
    cpp: {
        grammar: "cpp",
        units: {
            function_definition: "function",
            class_specifier: "class",
            struct_specifier: "struct",
            union_specifier: "struct",
            enum_specifier: "enum",
            type_definition: "type",
        },
        // declaration/field_declaration only count when they define a class (see describeUnit).
        wrappers: set("template_declaration", "declaration", "field_declaration"),
        containers: set(
            "namespace_definition",
            "linkage_specification",
            "preproc_ifdef",
            "preproc_if",
            "preproc_else",
            "preproc_elif",
            "preproc_elifdef",
        ),
        attachable: set("comment"),
    },
    csharp: {
        grammar: "c-sharp",
        units: {
            class_declaration: "class",
            struct_declaration: "struct",
            interface_declaration: "interface",
            enum_declaration: "enum",
            record_declaration: "class",
            record_struct_declaration: "struct",
            method_declaration: "method",
            constructor_declaration: "method",
            destructor_declaration: "method",
            operator_declaration: "method",
            conversion_operator_declaration: "method",
            property_declaration: "property",
            indexer_declaration: "property",
            delegate_declaration: "type",
            local_function_statement: "function",
        },
        wrappers: set(),
        containers: set("namespace_declaration"),
        attachable: set("comment"),
    },
    ruby: {
        grammar: "ruby",
        units: {
            method: "function",
            singleton_method: "function",
            class: "class",
            module: "module",
            singleton_class: "class",
        },
        wrappers: set(),
        containers: set(),
        attachable: set("comment"),
    },
    php: {
        grammar: "php",
        units: {
            function_definition: "function",
            class_declaration: "class",
            interface_declaration: "interface",
            trait_declaration: "trait",
            enum_declaration: "enum",
            method_declaration: "method",
        },
        wrappers: set(),
        containers: set("namespace_definition"),
        attachable: set("comment"),
    },
};
SPECS.c = { ...SPECS.cpp };

/** The syntax spec for a language id from languages.ts, or undefined when there is no grammar for it. */
export function syntaxSpecFor(language: string): SyntaxSpec | undefined {
    return SPECS[language];
}

/** The symbol kind of a unit node type (own properties only: node types like `constructor` exist). */
function unitKind(spec: SyntaxSpec, type: string): string | undefined {
    return Object.hasOwn(spec.units, type) ? spec.units[type] : undefined;
}

/** The unit a node stands for (looking through wrappers), or undefined when it is ordinary code. */
export function describeUnit(
    node: Node,
    spec: SyntaxSpec,
    parentKind?: string,
): UnitInfo | undefined {
    const inner = unwrap(node, spec);
    if (!inner) return undefined;
    const base = unitKind(spec, inner.type);
    if (base === undefined) return undefined;
    const info = nameAndKind(inner, base, spec);
    if (!info) return undefined;
    // A one-line constant is ordinary code; a multi-line one (a table, a config object) is worth its own chunk.
    if (info.kind === "variable" && node.startPosition.row === node.endPosition.row)
        return undefined;
    if (
        parentKind !== undefined &&
        !TYPE_KINDS.has(parentKind) &&
        !NESTABLE_IN_FUNCTIONS.has(info.kind)
    )
        return undefined;
    if (info.kind === "function" && parentKind !== undefined && TYPE_KINDS.has(parentKind))
        info.kind = "method";
    return { ...info, inner };
}

/** The node inside wrappers (export, decorators, template) that carries the unit, or the node itself. */
export function unwrap(node: Node, spec: SyntaxSpec): Node | undefined {
    let current = node;
    for (let depth = 0; depth < 4 && spec.wrappers.has(current.type); depth++) {
        const next =
            current.childForFieldName("declaration") ??
            current.childForFieldName("definition") ??
            current.childForFieldName("value") ??
            current.namedChildren.find(
                (c) =>
                    c !== null &&
                    (unitKind(spec, c.type) !== undefined ||
                        spec.containers.has(c.type) ||
                        spec.wrappers.has(c.type)),
            ) ??
            // C++ `class X {...} x;` / `struct S {...};` inside a declaration: the class is the `type`.
            current.childForFieldName("type");
        if (!next) return undefined;
        current = next;
    }
    if (
        spec.grammar === "cpp" &&
        /^(class|struct|union|enum)_specifier$/.test(current.type) &&
        !current.childForFieldName("body")
    ) {
        return undefined; // a forward declaration or a use of the type, not a definition
    }
    return current;
}

/** The name and refined kind of a unit node, or undefined when the node is not a unit after all. */
function nameAndKind(
    n: Node,
    kind: string,
    spec: SyntaxSpec,
): { name?: string; kind: string } | undefined {
    switch (n.type) {
        case "lexical_declaration":
        case "variable_declaration": {
            const decl = n.namedChildren.find((c) => c?.type === "variable_declarator");
            return {
                name: decl?.childForFieldName("name")?.text,
                kind: valueKind(decl?.childForFieldName("value")),
            };
        }
        case "assignment_expression": {
            const kindOfValue = valueKind(n.childForFieldName("right"));
            if (kindOfValue === "variable") return undefined;
            return {
                name: n.childForFieldName("left")?.text.replace(/\s+/g, ""),
                kind: kindOfValue,
            };
        }
        case "public_field_definition":
        case "field_definition":
            return {
                name: (n.childForFieldName("name") ?? n.childForFieldName("property"))?.text,
                kind: valueKind(n.childForFieldName("value")),
            };
        case "function_expression":
        case "arrow_function":
        case "class":
            // An expression is a unit only as `export default <it>`; elsewhere (an IIFE) its body is searched.
            if (!JS_GRAMMARS.has(spec.grammar)) break; // Ruby's `class` is an ordinary class
            if (n.parent?.type !== "export_statement") return undefined;
            return { name: n.childForFieldName("name")?.text ?? "default", kind };
        case "method_declaration":
            if (spec.grammar === "go") return { name: goMethodName(n), kind };
            break;
        case "type_declaration":
            return goTypeName(n);
        case "const_declaration":
        case "var_declaration": {
            const s = n.namedChildren.find(
                (c) => c?.type === "const_spec" || c?.type === "var_spec",
            );
            return { name: s?.childForFieldName("name")?.text, kind };
        }
        case "impl_item": {
            const t = n.childForFieldName("type");
            return { name: (t?.childForFieldName("type") ?? t)?.text, kind };
        }
        case "function_definition":
            if (spec.grammar === "cpp") return cppFunctionName(n);
            break;
        case "type_definition":
            return { name: n.childForFieldName("declarator")?.text, kind };
    }
    const name = n.childForFieldName("name")?.text;
    return { name: name === undefined ? undefined : name.replace(/::/g, "."), kind };
}

function valueKind(value: Node | null | undefined): string {
    if (!value) return "variable";
    if (/^(arrow_function|function_expression|function|generator_function)$/.test(value.type))
        return "function";
    if (value.type === "class") return "class";
    return "variable";
}

/** `func (s *Server) Start()` -> `Server.Start`. */
function goMethodName(n: Node): string | undefined {
    const name = n.childForFieldName("name")?.text;
    const receiver = n.childForFieldName("receiver");
    const type = receiver?.descendantsOfType("type_identifier")[0]?.text;
    return type && name ? `${type}.${name}` : name;
}

function goTypeName(n: Node): { name?: string; kind: string } {
    const spec = n.namedChildren.find((c) => c?.type === "type_spec" || c?.type === "type_alias");
    const t = spec?.childForFieldName("type")?.type;
    const kind = t === "struct_type" ? "struct" : t === "interface_type" ? "interface" : "type";
    return { name: spec?.childForFieldName("name")?.text, kind };
}

/** The declarator chain of a C/C++ function down to its name; `Outer::get` -> `Outer.get` (a method). */
function cppFunctionName(n: Node): { name?: string; kind: string } {
    let d = n.childForFieldName("declarator");
    for (
        let depth = 0;
        d && depth < 8 && /declarator$/.test(d.type) && d.type !== "qualified_identifier";
        depth++
    ) {
        d = d.childForFieldName("declarator") ?? d.namedChild(0);
    }
    if (!d) return { kind: "function" };
    const name = d.text.replace(/\s+/g, "").replace(/::/g, ".");
    return { name, kind: name.includes(".") ? "method" : "function" };
}
