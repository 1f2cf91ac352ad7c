export * from "./audit";
export * from "./auth";
export * from "./email";
export * from "./orgs";
export * from "./offers";
export * from "./partners";
export * from "./search";
export * from "./tracking";
