export * from './filters';
export * from './maintenance';
export * from './export';
