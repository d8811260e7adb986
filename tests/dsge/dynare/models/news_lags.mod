// Leads and lags of two periods: AR(2) technology with a news shock known two periods ahead,
// and a forward average of consumption over the next two periods.
var y c k a cf;
varexo ea enews;
parameters alpha beta delta rho1 rho2;
alpha = 0.33; beta = 0.98; delta = 0.1; rho1 = 1.2; rho2 = -0.3;

model;
  1/c = beta/c(+1)*(alpha*y(+1)/k + 1 - delta);
  y = exp(a)*k(-1)^alpha;
  k = y - c + (1 - delta)*k(-1);
  a = rho1*a(-1) + rho2*a(-2) + ea + enews(-2);
  cf = (c(+1) + c(+2))/2;
end;

steady_state_model;
  a = 0;
  k = (alpha/(1/beta - 1 + delta))^(1/(1 - alpha));
  y = k^alpha;
  c = y - delta*k;
  cf = c;
end;

shocks;
  var ea; stderr 0.01;
  var enews; stderr 0.005;
end;

steady;
check;
stoch_simul(order=1, irf=15, ar=4, nograph);
