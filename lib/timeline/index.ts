export * from './input';
export * from './layout';
export * from './legend';
export * from './style';
export * from './text';
