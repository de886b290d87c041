export * from './tab-state';
export * from './tab-store';
export * from './observer';
export * from './badge';
export * from './judge-tab';
