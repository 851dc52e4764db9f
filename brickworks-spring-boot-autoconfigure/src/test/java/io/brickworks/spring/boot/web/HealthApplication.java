package io.brickworks.spring.boot.web;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A web application with every auto-configuration on the test class path (web server, Actuator, Brickworks). */
@SpringBootApplication
public class HealthApplication {
}
