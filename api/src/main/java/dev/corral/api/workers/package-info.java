/** The worker registry routes ({@code /api/workers}) and the stuck history route ({@code /api/stuck-history}). */
package dev.corral.api.workers;
