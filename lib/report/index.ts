export * from './schema';
export * from './build';
export * from './from-log';
export * from './import';
export * from './redact';
export * from './csv';
export * from './summary';
