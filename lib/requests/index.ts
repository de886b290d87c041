export * from './types';
export * from './deadline';
export * from './letters';
export * from './channels';
export * from './identifiers';
export * from './status';
export * from './store';
export * from './reminders';
