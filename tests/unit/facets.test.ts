import { describe, expect, it } from "vitest";
import { filterFacetOptions, orderFacetOptions, splitFacetOptions } from "~/lib/facets";

const option = (label: string, count: number, active = false) => ({ value: label.slice(0, 2).toUpperCase(), label, count, active });

describe("marketplace facets", () => {
  it("orders by offer count, then by name", () => {
    const ordered = orderFacetOptions([option("Germany", 3), option("Austria", 1), option("Canada", 3), option("Belgium", 1)]);
    expect(ordered.map((o) => o.label)).toEqual(["Canada", "Germany", "Austria", "Belgium"]);
  });

  it("shows the top values and keeps a chosen value visible when it ranks further down", () => {
    const ordered = orderFacetOptions([option("A", 5), option("B", 4), option("C", 3), option("D", 2, true), option("E", 1)]);
    const { top, rest } = splitFacetOptions(ordered, 2);
    expect(top.map((o) => o.label)).toEqual(["A", "B", "D"]);
    expect(rest.map((o) => o.label)).toEqual(["C", "E"]);
  });

  it("finds any value by part of its name, ignoring case and accents", () => {
    const options = [option("Côte d'Ivoire", 1), option("Costa Rica", 1), option("France", 9)];
    expect(filterFacetOptions(options, "  cote ").map((o) => o.label)).toEqual(["Côte d'Ivoire"]);
    expect(filterFacetOptions(options, "CO").map((o) => o.label)).toEqual(["Côte d'Ivoire", "Costa Rica"]);
    expect(filterFacetOptions(options, "")).toHaveLength(3);
  });
});
