export * from './input';
export * from './layout';
export * from './style';
export * from './text';
