/**
 * Our Lua commands: the registry that loads them from the classpath and the runner that calls them.
 * The scripts are written for Corral from the BullMQ 6.7.0 data-layout description; none is copied.
 */
package dev.corral.broker.scripts;
