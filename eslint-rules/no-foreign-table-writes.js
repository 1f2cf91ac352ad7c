/**
 * Inside app/modules/<area>/, only the area that owns a table writes it: `.insert(t)`, `.update(t)`,
 * `.delete(t)`, and `sql` templates whose insert into / update / delete from target is an imported
 * table. Everything else changes a foreign table by calling the owning module. Reads are free.
 */

const WRITE_METHODS = new Set(["insert", "update", "delete"]);
const WRITE_TARGET = /\b(?:insert\s+into|update|delete\s+from)\s*$/i;
const AREA = /(?:^|[\\/])app[\\/]modules[\\/]([^\\/]+)[\\/]/;
const SCHEMA_IMPORT = /(?:^#db|(?:^|\/)db)\/schema(?:\/|$)/;

/** @type {import("eslint").Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: { description: "A module writes only the tables its area owns" },
    schema: [
      {
        type: "object",
        properties: { owners: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } } },
        required: ["owners"],
        additionalProperties: false,
      },
    ],
    messages: {
      foreign: "The {{area}} module writes {{table}}, which {{owner}} owns: call a function of {{owner}} instead.",
      unowned: "{{table}} has no owner: add it to the no-foreign-table-writes owners in eslint.config.js.",
    },
  },
  create(context) {
    const area = AREA.exec(context.filename)?.[1];
    if (!area) return {};
    /** @type {Record<string, string[]>} */
    const owners = context.options[0].owners;
    const ownerOf = new Map(Object.entries(owners).flatMap(([owner, tables]) => tables.map((table) => [table, owner])));
    /** Local name → table name, for names imported from the schema. */
    const tables = new Map();
    const namespaces = new Set();

    /** @param {import("estree").Node} node */
    function tableName(node) {
      if (node.type === "Identifier") return tables.get(node.name);
      if (node.type === "MemberExpression" && !node.computed && node.object.type === "Identifier" && namespaces.has(node.object.name))
        return node.property.type === "Identifier" ? node.property.name : undefined;
      return undefined;
    }

    /** @param {import("estree").Node} target */
    function check(target) {
      const table = tableName(target);
      if (!table) return;
      const owner = ownerOf.get(table);
      if (!owner) context.report({ node: target, messageId: "unowned", data: { table } });
      else if (owner !== area) context.report({ node: target, messageId: "foreign", data: { area, table, owner } });
    }

    return {
      ImportDeclaration(node) {
        if (typeof node.source.value !== "string" || !SCHEMA_IMPORT.test(node.source.value)) return;
        for (const specifier of node.specifiers) {
          if (specifier.type === "ImportSpecifier")
            tables.set(specifier.local.name, specifier.imported.type === "Identifier" ? specifier.imported.name : specifier.imported.value);
          else if (specifier.type === "ImportNamespaceSpecifier") namespaces.add(specifier.local.name);
        }
      },
      CallExpression(node) {
        const callee = node.callee;
        const [target] = node.arguments;
        if (
          target &&
          callee.type === "MemberExpression" &&
          !callee.computed &&
          callee.property.type === "Identifier" &&
          WRITE_METHODS.has(callee.property.name)
        )
          check(target);
      },
      TaggedTemplateExpression(node) {
        if (node.tag.type !== "Identifier" || node.tag.name !== "sql") return;
        node.quasi.expressions.forEach((expression, i) => {
          const before = node.quasi.quasis[i];
          if (before && WRITE_TARGET.test(before.value.raw)) check(expression);
        });
      },
    };
  },
};

export default rule;
