package io.maestro.provisioner.rest;

import io.maestro.client.http.MaestroApiException;
import io.maestro.client.provisioner.Driver;
import io.maestro.client.provisioner.LaunchPlan;
import io.maestro.client.provisioner.Tinycloud;
import io.maestro.provisioner.driver.ec2.Ec2DoubleProfile;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A dry run is a plan: each group's calls and what its nodes cost per hour (shipped list prices under the operator's
 * own), the cluster's cost per hour and over its ttl; against the EC2 double, which sees DryRun calls only.
 */
@QuarkusTest
@TestProfile(Ec2DoubleProfile.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class LaunchPlanTest {
    @TestHTTPResource("/")
    URI service;

    @Test
    void anEc2DryRunAnswersEachGroupsCallsAndCostWithTheOperatorsPricesOverTheShippedOnes() {
        Tinycloud cloud = Tinycloud.builder(service, "priced").token(Tokens.admin()).ttl("8h")
                .group("web", 3, new Driver("aws-ec2", Map.of("imageId", "ami-12345678", "instanceType", "t3.micro")))
                .group("db", 2, new Driver("aws-ec2", Map.of("imageId", "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
                        "instanceType", "c5.large", "subnetId", "subnet-1")))
                .build();
        int callsBefore = Ec2DoubleProfile.ec2.calls.size();
        int instancesBefore = Ec2DoubleProfile.ec2.instances.size();
        LaunchPlan plan = cloud.plan();

        assertThat(plan.nodes()).isEqualTo(5);
        LaunchPlan.GroupPlan web = plan.groups().get(0);
        assertThat(web.pricePerHour()).isEqualByComparingTo("0.0104");
        assertThat(web.costPerHour()).isEqualByComparingTo("0.0312");
        assertThat(web.priceSource()).contains("us-east-1");
        assertThat(web.calls()).anySatisfy(call -> assertThat(call).startsWith("RunInstances 3 × t3.micro of ami-12345678, on-demand,"));
        LaunchPlan.GroupPlan db = plan.groups().get(1);
        assertThat(db.pricePerHour()).as("the operator's price").isEqualByComparingTo("0.1");
        assertThat(db.priceSource()).isEqualTo("provisioner.instance-prices");
        assertThat(db.calls()).anySatisfy(call -> assertThat(call).contains("in subnet-1"))
                .anySatisfy(call -> assertThat(call).startsWith("ssm:GetParameter /aws/service/ami-amazon-linux-latest/"))
                .anySatisfy(call -> assertThat(call).startsWith("RunInstances 2 × c5.large of ami-0a1b2c3d4e5f67890, on-demand in subnet-1,"));
        assertThat(plan.costPerHour()).isEqualByComparingTo("0.2312");
        assertThat(plan.costOverTtl()).isEqualByComparingTo("1.8496");
        assertThat(plan.message()).contains("$0.2312 per hour").contains("over its ttl of 8h").contains("nothing was created");

        assertThat(Ec2DoubleProfile.ec2.calls.subList(callsBefore, Ec2DoubleProfile.ec2.calls.size())).isNotEmpty()
                .filteredOn(call -> !call.action().startsWith("ssm:"))
                .allSatisfy(call -> assertThat(call.dryRun()).as(call.action()).isTrue());
        assertThat(Ec2DoubleProfile.ec2.instances).hasSize(instancesBefore);
        given().get("/v1/clusters/priced").then().statusCode(404);
    }

    @Test
    void aTypeWithoutAPriceIsSaidToBeUnknownNotGuessedAndLocalNodesCostNothing() {
        LaunchPlan plan = Tinycloud.builder(service, "half-priced").token(Tokens.admin())
                .group("gpu", 1, new Driver("aws-ec2", Map.of("imageId", "ami-12345678", "instanceType", "p5.48xlarge")))
                .group("local", 2, Driver.local()).build().plan();
        assertThat(plan.costPerHour()).isNull();
        assertThat(plan.unpriced()).containsExactly("gpu");
        assertThat(plan.groups().get(0).priceSource()).contains("unknown");
        assertThat(plan.groups().get(1).costPerHour()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(plan.groups().get(1).calls()).singleElement().asString().startsWith("start 2 SSH server(s) on 127.0.0.1");
        assertThat(plan.message()).contains("cost unknown for group(s) gpu");

        given().contentType("application/json").body(Map.of("name", "bad-user-data", "dryRun", true, "groups", List.of(Map.of("tag", "web",
                        "count", 1, "driver", "aws-ec2", "options", Map.of("imageId", "ami-12345678", "userData", "rm -rf /")))))
                .post("/v1/clusters").then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.startsWith("groups[0].options: option 'userData' must start with #!"));

        assertThatThrownBy(() -> Tinycloud.builder(service, "no-image").token(Tokens.admin())
                .group("web", 1, new Driver("aws-ec2", Map.of("instanceType", "t3.micro"))).build().plan())
                .isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
