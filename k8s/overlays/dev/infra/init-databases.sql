-- One database per service that keeps durable state (DESIGN.md section 4).
create database maestro_inventory;
create database maestro_provisioner;
