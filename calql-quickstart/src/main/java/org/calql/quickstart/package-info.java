/** The README's quick start, compiled against calql-core alone and run by the tests in a separate build. */
package org.calql.quickstart;
