import noForeignTableWrites from "./no-foreign-table-writes.js";

/** Switchboard's own lint rules: they keep the layers and module boundaries honest. */
export default { rules: { "no-foreign-table-writes": noForeignTableWrites } };
