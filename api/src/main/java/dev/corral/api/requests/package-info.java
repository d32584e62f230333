/** Pure request parsing shared by the services: JSON bodies, typed fields, query parameters, pagination. */
package dev.corral.api.requests;
