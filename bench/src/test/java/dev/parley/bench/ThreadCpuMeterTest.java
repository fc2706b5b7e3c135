package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThreadCpuMeterTest {

    @Test
    void threadsOfOnePoolShareAFamilyAndNamesWithAVersionKeepIt() {
        assertEquals("qtp", ThreadCpuMeter.family("qtp1820491637-23"));
        assertEquals("ForkJoinPool-worker", ThreadCpuMeter.family("ForkJoinPool-1-worker-3"));
        assertEquals("GC Thread", ThreadCpuMeter.family("GC Thread#1"));
        assertEquals("C2 CompilerThre", ThreadCpuMeter.family("C2 CompilerThre"));
        assertEquals("G1 Conc", ThreadCpuMeter.family("G1 Conc#0"));
        assertEquals("parley-db-write", ThreadCpuMeter.family("parley-db-write"));
        assertEquals("(numbered)", ThreadCpuMeter.family("12"));
    }
}
