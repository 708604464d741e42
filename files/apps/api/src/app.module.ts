import { DynamicModule, Module } from "@nestjs/common";
import { Clients } from "./clients";
import type { Config } from "./config";
import { HealthController, HealthService } from "./health";
import { OrdersController, OrdersService } from "./orders";
import { ProductsController, ProductsService } from "./products";
import { CONFIG } from "./tokens";

@Module({})
export class AppModule {
  static forConfig(config: Config): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, ProductsController, OrdersController],
      providers: [{ provide: CONFIG, useValue: config }, Clients, ProductsService, OrdersService, HealthService],
    };
  }
}
