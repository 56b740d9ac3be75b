// Placeholder: this package's features land with their own issue (see README.md).
export {};
