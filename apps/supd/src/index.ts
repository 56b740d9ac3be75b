// Placeholder: the daemon lands with issue 5 (see README.md).
export {};
