package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CarrierThreadsTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(CarrierThreads.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(CarrierThreads.PROPERTY);
        } else {
            System.setProperty(CarrierThreads.PROPERTY, before);
        }
    }

    @Test
    void leavesOneProcessorToThePlatformThreadsAndKeepsAtLeastOneCarrier() {
        assertEquals(1, CarrierThreads.defaultFor(1));
        assertEquals(1, CarrierThreads.defaultFor(2));
        assertEquals(3, CarrierThreads.defaultFor(4));
        assertEquals(15, CarrierThreads.defaultFor(16));
    }

    @Test
    void setsTheDefaultWhenTheCommandLineGivesNone() {
        System.clearProperty(CarrierThreads.PROPERTY);
        String expected = Integer.toString(CarrierThreads.defaultFor(Runtime.getRuntime().availableProcessors()));
        assertEquals(expected, CarrierThreads.configure());
        assertEquals(expected, System.getProperty(CarrierThreads.PROPERTY));
    }

    @Test
    void keepsAValueGivenOnTheCommandLine() {
        System.setProperty(CarrierThreads.PROPERTY, "5");
        assertEquals("5", CarrierThreads.configure());
        assertEquals("5", System.getProperty(CarrierThreads.PROPERTY));
    }
}
