/** Plans' SQL: plans (and the auto-planner's marks), confirmed routes and their parcels. The field feature uses the route functions. */
export * from './plans.js';
export * from './routes.js';
export * from './auto-plans.js';
