/** The README's quick-start, kept compiled and tested. */
package org.calql.examples.quickstart;
